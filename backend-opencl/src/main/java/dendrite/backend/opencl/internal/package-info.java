/**
 * Entry points the OpenCL backend starts in a child JVM; not exported, not an API. The child runs on
 * the class path its parent was given, where every package is readable.
 */
package dendrite.backend.opencl.internal;
