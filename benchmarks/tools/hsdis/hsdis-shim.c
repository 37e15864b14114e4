/*
 * hsdis-amd64.so for JDK 25 on Debian, so that -XX:+PrintAssembly shows instructions rather than hex.
 *
 * Debian's libhsdis0-fcml (the FCML disassembler) still exports only the old entry point,
 * decode_instructions(start, end, ...), while HotSpot since JDK 9 looks up
 * decode_instructions_virtual(start_va, end_va, buffer, length, ...). HotSpot disassembles code
 * where it lies, so buffer is the code itself and the old call can be given buffer .. buffer + length.
 * Build and use with build.sh (next to this file).
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>

typedef void *(*event_callback)(void *stream, const char *event, void *arg);
typedef int (*printf_callback)(void *stream, const char *format, ...);
typedef void *(*decode_instructions_fn)(void *start, void *end, event_callback event, void *event_stream,
                                        printf_callback print, void *print_stream, const char *options);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  event_callback event, void *event_stream, printf_callback print,
                                  void *print_stream, const char *options, int newline) {
    static decode_instructions_fn decode;
    (void) start_va;
    (void) end_va;
    (void) newline;
    if (decode == NULL) {
        void *fcml = dlopen("libhsdis.so.0", RTLD_NOW);
        if (fcml == NULL || (decode = (decode_instructions_fn) dlsym(fcml, "decode_instructions")) == NULL) {
            fprintf(stderr, "hsdis-shim: libhsdis.so.0 (apt-get install libhsdis0-fcml) not usable: %s\n", dlerror());
            return NULL;
        }
    }
    return decode(buffer, buffer + length, event, event_stream, print, print_stream, options);
}
