/**
 * Short runnable lessons on how neural networks train, each a class with a {@code main}:
 *
 * <ol>
 *   <li>{@link com.example.lessons.OneNeuron}: one neuron trained by hand (forward, loss, chain rule, SGD
 *       step), then the same neuron in Dendrite, with the gradients compared;</li>
 *   <li>{@link com.example.lessons.Xor}: why a hidden layer is needed;</li>
 *   <li>{@link com.example.lessons.ServerLoad}: a regression and a classification on server metrics,
 *       saved with their scaling and loaded again to predict from raw numbers;</li>
 *   <li>{@link com.example.lessons.BrokenNetworks}: the textbook failures, caught by the
 *       {@code TrainingMonitor};</li>
 *   <li>{@link com.example.lessons.Autoencoder}: compressing 8x8 digits to 8 numbers and back;</li>
 *   <li>{@link com.example.lessons.DecisionBoundary}: what a classifier learned, drawn as an image;</li>
 *   <li>{@link com.example.lessons.CustomLayer}: writing a layer of one's own and checking its
 *       backward pass with the {@code GradientChecker}.</li>
 * </ol>
 *
 * Every lesson checks the claim it teaches ({@link com.example.lessons.Claim}) and exits with status 1
 * and a one-line reason when the claim does not hold, so a build that runs them all notices a lesson
 * that has stopped telling the truth.
 */
package com.example.lessons;
