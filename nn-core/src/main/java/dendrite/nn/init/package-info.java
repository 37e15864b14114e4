/**
 * Weight initializers: Xavier/Glorot, He/Kaiming, LeCun, zeros, constant.
 */
package dendrite.nn.init;
