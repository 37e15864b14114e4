/**
 * Weight initializers: Xavier/Glorot, He/Kaiming and LeCun (uniform and normal), zeros, constant, and
 * the default for each activation. All draw from the backends' counter-based random kernels, so a seed
 * gives the same weights on every backend.
 */
package dendrite.nn.init;
