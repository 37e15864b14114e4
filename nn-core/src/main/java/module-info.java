/**
 * Dendrite's neural-network library: layers, losses, optimizers, training, datasets, model
 * files and diagnostics. Depends on {@code dendrite.tensor} alone and runs unchanged on every backend.
 */
module dendrite.nn {
    requires transitive dendrite.tensor;
    // Only ImageFolder reads images (javax.imageio): applications that do not call it need not have it.
    requires static java.desktop;
    exports dendrite.nn;
    exports dendrite.nn.layers;
    exports dendrite.nn.losses;
    exports dendrite.nn.optim;
    exports dendrite.nn.train;
    exports dendrite.nn.data;
    exports dendrite.nn.metrics;
    exports dendrite.nn.io;
    exports dendrite.nn.diag;
    exports dendrite.nn.init;
    exports dendrite.nn.graph;
    uses dendrite.tensor.BackendProvider;
}
