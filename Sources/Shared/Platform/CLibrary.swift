// The one place that knows which C library this system has. Every other module imports
// `Platform` instead, so `socket`, `poll`, `errno` and friends reach it from here, and an
// operating system the workbook has not been tried on stops the build with a clear error.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#else
#error("The workbook supports Linux (Glibc or Musl) and macOS; this system's C library is not one of them.")
#endif
