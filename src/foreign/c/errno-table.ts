/**
 * wasi-libc's errno table (`0.0~git20220510`, `<wasi/api.h>`'s `__WASI_ERRNO_*` values, which its
 * `<errno.h>` uses), with each value's `strerror` text as wasi-libc gives it, and the
 * `IOErrorType` GHC's `errnoToIOError` gives the same error. Generated from wasi-libc once (a
 * wasm32 module calling `strerror`); test/foreign/c/error.test.ts checks the values against the
 * constants and, with the C module, against wasi-libc itself.
 *
 * @since 0.1.0
 */

/**
 * One errno of the table: its name without the `E`, its value, wasi-libc's `strerror` text and
 * GHC's `IOErrorType` for it.
 *
 * @internal
 */
export type ErrnoRow = readonly [name: string, value: number, description: string, type: string];

/**
 * wasi-libc's errnos, by value (1 to 76).
 *
 * @internal
 */
export const ERRNO_TABLE: readonly ErrnoRow[] = [
  ['2BIG', 1, 'Argument list too long', 'ResourceExhausted'],
  ['ACCES', 2, 'Permission denied', 'PermissionDenied'],
  ['ADDRINUSE', 3, 'Address in use', 'ResourceBusy'],
  ['ADDRNOTAVAIL', 4, 'Address not available', 'UnsupportedOperation'],
  ['AFNOSUPPORT', 5, 'Address family not supported by protocol', 'UnsupportedOperation'],
  ['AGAIN', 6, 'Resource temporarily unavailable', 'ResourceExhausted'],
  ['ALREADY', 7, 'Operation already in progress', 'AlreadyExists'],
  ['BADF', 8, 'Bad file descriptor', 'InvalidArgument'],
  ['BADMSG', 9, 'Bad message', 'InappropriateType'],
  ['BUSY', 10, 'Resource busy', 'ResourceBusy'],
  ['CANCELED', 11, 'Operation canceled', 'OtherError'],
  ['CHILD', 12, 'No child process', 'NoSuchThing'],
  ['CONNABORTED', 13, 'Connection aborted', 'OtherError'],
  ['CONNREFUSED', 14, 'Connection refused', 'NoSuchThing'],
  ['CONNRESET', 15, 'Connection reset by peer', 'ResourceVanished'],
  ['DEADLK', 16, 'Resource deadlock would occur', 'ResourceBusy'],
  ['DESTADDRREQ', 17, 'Destination address required', 'InvalidArgument'],
  ['DOM', 18, 'Domain error', 'InvalidArgument'],
  ['DQUOT', 19, 'Quota exceeded', 'PermissionDenied'],
  ['EXIST', 20, 'File exists', 'AlreadyExists'],
  ['FAULT', 21, 'Bad address', 'OtherError'],
  ['FBIG', 22, 'File too large', 'PermissionDenied'],
  ['HOSTUNREACH', 23, 'Host is unreachable', 'NoSuchThing'],
  ['IDRM', 24, 'Identifier removed', 'ResourceVanished'],
  ['ILSEQ', 25, 'Illegal byte sequence', 'InvalidArgument'],
  ['INPROGRESS', 26, 'Operation in progress', 'AlreadyExists'],
  ['INTR', 27, 'Interrupted system call', 'Interrupted'],
  ['INVAL', 28, 'Invalid argument', 'InvalidArgument'],
  ['IO', 29, 'I/O error', 'HardwareFault'],
  ['ISCONN', 30, 'Socket is connected', 'AlreadyExists'],
  ['ISDIR', 31, 'Is a directory', 'InappropriateType'],
  ['LOOP', 32, 'Symbolic link loop', 'InvalidArgument'],
  ['MFILE', 33, 'No file descriptors available', 'ResourceExhausted'],
  ['MLINK', 34, 'Too many links', 'ResourceExhausted'],
  ['MSGSIZE', 35, 'Message too large', 'ResourceExhausted'],
  ['MULTIHOP', 36, 'Multihop attempted', 'UnsupportedOperation'],
  ['NAMETOOLONG', 37, 'Filename too long', 'InvalidArgument'],
  ['NETDOWN', 38, 'Network is down', 'ResourceVanished'],
  ['NETRESET', 39, 'Connection reset by network', 'ResourceVanished'],
  ['NETUNREACH', 40, 'Network unreachable', 'NoSuchThing'],
  ['NFILE', 41, 'Too many open files in system', 'ResourceExhausted'],
  ['NOBUFS', 42, 'No buffer space available', 'ResourceExhausted'],
  ['NODEV', 43, 'No such device', 'UnsupportedOperation'],
  ['NOENT', 44, 'No such file or directory', 'NoSuchThing'],
  ['NOEXEC', 45, 'Exec format error', 'InvalidArgument'],
  ['NOLCK', 46, 'No locks available', 'ResourceExhausted'],
  ['NOLINK', 47, 'Link has been severed', 'ResourceVanished'],
  ['NOMEM', 48, 'Out of memory', 'ResourceExhausted'],
  ['NOMSG', 49, 'No message of desired type', 'NoSuchThing'],
  ['NOPROTOOPT', 50, 'Protocol not available', 'UnsupportedOperation'],
  ['NOSPC', 51, 'No space left on device', 'ResourceExhausted'],
  ['NOSYS', 52, 'Function not implemented', 'UnsupportedOperation'],
  ['NOTCONN', 53, 'Socket not connected', 'InvalidArgument'],
  ['NOTDIR', 54, 'Not a directory', 'InappropriateType'],
  ['NOTEMPTY', 55, 'Directory not empty', 'UnsatisfiedConstraints'],
  ['NOTRECOVERABLE', 56, 'State not recoverable', 'OtherError'],
  ['NOTSOCK', 57, 'Not a socket', 'InvalidArgument'],
  ['NOTSUP', 58, 'Not supported', 'OtherError'],
  ['NOTTY', 59, 'Not a tty', 'IllegalOperation'],
  ['NXIO', 60, 'No such device or address', 'NoSuchThing'],
  ['OVERFLOW', 61, 'Value too large for data type', 'OtherError'],
  ['OWNERDEAD', 62, 'Previous owner died', 'OtherError'],
  ['PERM', 63, 'Operation not permitted', 'PermissionDenied'],
  ['PIPE', 64, 'Broken pipe', 'ResourceVanished'],
  ['PROTO', 65, 'Protocol error', 'ProtocolError'],
  ['PROTONOSUPPORT', 66, 'Protocol not supported', 'ProtocolError'],
  ['PROTOTYPE', 67, 'Protocol wrong type for socket', 'ProtocolError'],
  ['RANGE', 68, 'Result not representable', 'UnsupportedOperation'],
  ['ROFS', 69, 'Read-only file system', 'PermissionDenied'],
  ['SPIPE', 70, 'Invalid seek', 'UnsupportedOperation'],
  ['SRCH', 71, 'No such process', 'NoSuchThing'],
  ['STALE', 72, 'Stale file handle', 'ResourceVanished'],
  ['TIMEDOUT', 73, 'Operation timed out', 'TimeExpired'],
  ['TXTBSY', 74, 'Text file busy', 'ResourceBusy'],
  ['XDEV', 75, 'Cross-device link', 'UnsupportedOperation'],
  ['NOTCAPABLE', 76, 'Capabilities insufficient', 'OtherError'],
];
