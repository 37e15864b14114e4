/**
 * The example as a module: nn-core brings the tensor API with it ({@code requires transitive}), and
 * the backends on the module path are found as service providers, so none is named here.
 */
module com.example.embedded {
    requires dendrite.nn;
}
