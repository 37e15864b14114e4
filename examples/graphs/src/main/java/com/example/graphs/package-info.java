/**
 * Examples of models that are not a straight line, each checking its own claim: an autoencoder
 * whose encoder is then used alone, a model with two heads, and a residual CNN.
 */
package com.example.graphs;
