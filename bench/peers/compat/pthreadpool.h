/* Stand-in for <pthreadpool.h> where Debian's libpthreadpool-dev is not installed: xnnpack.h only
 * needs the handle type, and simdact_compare always passes NULL (no thread pool). Same declaration as
 * pthreadpool's own header. Used only when CMake finds no pthreadpool.h (bench/CMakeLists.txt). */
#ifndef PTHREADPOOL_H_
#define PTHREADPOOL_H_
typedef struct pthreadpool* pthreadpool_t;
#endif
