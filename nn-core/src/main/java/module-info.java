/**
 * Dendrite's neural-network library: layers, losses, optimizers, training, datasets, model
 * files and diagnostics. Depends on {@code dendrite.tensor} alone and runs unchanged on every backend.
 */
module dendrite.nn {
    requires transitive dendrite.tensor;
    // exports dendrite.nn;   (uncomment once the package has a class)
    // exports dendrite.nn.layers;   (uncomment once the package has a class)
    // exports dendrite.nn.losses;   (uncomment once the package has a class)
    // exports dendrite.nn.optim;   (uncomment once the package has a class)
    // exports dendrite.nn.train;   (uncomment once the package has a class)
    exports dendrite.nn.data;
    // exports dendrite.nn.io;   (uncomment once the package has a class)
    // exports dendrite.nn.diag;   (uncomment once the package has a class)
    // exports dendrite.nn.init;   (uncomment once the package has a class)
    uses dendrite.tensor.BackendProvider;
}
