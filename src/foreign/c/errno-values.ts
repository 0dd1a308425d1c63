/**
 * The `e…` constants of `Foreign.C.Error`, with **wasi-libc's values** (the wasm32 target of this
 * library: `<errno.h>` of wasi-libc `0.0~git20220510`, from `<wasi/api.h>`). They are not Linux's
 * (glibc's `ENOENT` is 2, wasi-libc's 44): a native LP64 program's errno would need glibc's table,
 * which this library does not carry. Checked against src/foreign/c/errno-table.ts by test/foreign/c/error.test.ts.
 *
 * @since 0.1.0
 */
import type { Errno } from './error.js';

/** `eOK`: no error (0). @category constants @since 0.1.0 */
export const eOK: Errno = 0;
/** `E2BIG` (1): Argument list too long. @category constants @since 0.1.0 */
export const e2BIG: Errno = 1;
/** `EACCES` (2): Permission denied. @category constants @since 0.1.0 */
export const eACCES: Errno = 2;
/** `EADDRINUSE` (3): Address in use. @category constants @since 0.1.0 */
export const eADDRINUSE: Errno = 3;
/** `EADDRNOTAVAIL` (4): Address not available. @category constants @since 0.1.0 */
export const eADDRNOTAVAIL: Errno = 4;
/** `EAFNOSUPPORT` (5): Address family not supported by protocol. @category constants @since 0.1.0 */
export const eAFNOSUPPORT: Errno = 5;
/** `EAGAIN` (6): Resource temporarily unavailable. @category constants @since 0.1.0 */
export const eAGAIN: Errno = 6;
/** `EALREADY` (7): Operation already in progress. @category constants @since 0.1.0 */
export const eALREADY: Errno = 7;
/** `EBADF` (8): Bad file descriptor. @category constants @since 0.1.0 */
export const eBADF: Errno = 8;
/** `EBADMSG` (9): Bad message. @category constants @since 0.1.0 */
export const eBADMSG: Errno = 9;
/** `EBUSY` (10): Resource busy. @category constants @since 0.1.0 */
export const eBUSY: Errno = 10;
/** `ECANCELED` (11): Operation canceled. @category constants @since 0.1.0 */
export const eCANCELED: Errno = 11;
/** `ECHILD` (12): No child process. @category constants @since 0.1.0 */
export const eCHILD: Errno = 12;
/** `ECONNABORTED` (13): Connection aborted. @category constants @since 0.1.0 */
export const eCONNABORTED: Errno = 13;
/** `ECONNREFUSED` (14): Connection refused. @category constants @since 0.1.0 */
export const eCONNREFUSED: Errno = 14;
/** `ECONNRESET` (15): Connection reset by peer. @category constants @since 0.1.0 */
export const eCONNRESET: Errno = 15;
/** `EDEADLK` (16): Resource deadlock would occur. @category constants @since 0.1.0 */
export const eDEADLK: Errno = 16;
/** `EDESTADDRREQ` (17): Destination address required. @category constants @since 0.1.0 */
export const eDESTADDRREQ: Errno = 17;
/** `EDOM` (18): Domain error. @category constants @since 0.1.0 */
export const eDOM: Errno = 18;
/** `EDQUOT` (19): Quota exceeded. @category constants @since 0.1.0 */
export const eDQUOT: Errno = 19;
/** `EEXIST` (20): File exists. @category constants @since 0.1.0 */
export const eEXIST: Errno = 20;
/** `EFAULT` (21): Bad address. @category constants @since 0.1.0 */
export const eFAULT: Errno = 21;
/** `EFBIG` (22): File too large. @category constants @since 0.1.0 */
export const eFBIG: Errno = 22;
/** `EHOSTUNREACH` (23): Host is unreachable. @category constants @since 0.1.0 */
export const eHOSTUNREACH: Errno = 23;
/** `EIDRM` (24): Identifier removed. @category constants @since 0.1.0 */
export const eIDRM: Errno = 24;
/** `EILSEQ` (25): Illegal byte sequence. @category constants @since 0.1.0 */
export const eILSEQ: Errno = 25;
/** `EINPROGRESS` (26): Operation in progress. @category constants @since 0.1.0 */
export const eINPROGRESS: Errno = 26;
/** `EINTR` (27): Interrupted system call. @category constants @since 0.1.0 */
export const eINTR: Errno = 27;
/** `EINVAL` (28): Invalid argument. @category constants @since 0.1.0 */
export const eINVAL: Errno = 28;
/** `EIO` (29): I/O error. @category constants @since 0.1.0 */
export const eIO: Errno = 29;
/** `EISCONN` (30): Socket is connected. @category constants @since 0.1.0 */
export const eISCONN: Errno = 30;
/** `EISDIR` (31): Is a directory. @category constants @since 0.1.0 */
export const eISDIR: Errno = 31;
/** `ELOOP` (32): Symbolic link loop. @category constants @since 0.1.0 */
export const eLOOP: Errno = 32;
/** `EMFILE` (33): No file descriptors available. @category constants @since 0.1.0 */
export const eMFILE: Errno = 33;
/** `EMLINK` (34): Too many links. @category constants @since 0.1.0 */
export const eMLINK: Errno = 34;
/** `EMSGSIZE` (35): Message too large. @category constants @since 0.1.0 */
export const eMSGSIZE: Errno = 35;
/** `EMULTIHOP` (36): Multihop attempted. @category constants @since 0.1.0 */
export const eMULTIHOP: Errno = 36;
/** `ENAMETOOLONG` (37): Filename too long. @category constants @since 0.1.0 */
export const eNAMETOOLONG: Errno = 37;
/** `ENETDOWN` (38): Network is down. @category constants @since 0.1.0 */
export const eNETDOWN: Errno = 38;
/** `ENETRESET` (39): Connection reset by network. @category constants @since 0.1.0 */
export const eNETRESET: Errno = 39;
/** `ENETUNREACH` (40): Network unreachable. @category constants @since 0.1.0 */
export const eNETUNREACH: Errno = 40;
/** `ENFILE` (41): Too many open files in system. @category constants @since 0.1.0 */
export const eNFILE: Errno = 41;
/** `ENOBUFS` (42): No buffer space available. @category constants @since 0.1.0 */
export const eNOBUFS: Errno = 42;
/** `ENODEV` (43): No such device. @category constants @since 0.1.0 */
export const eNODEV: Errno = 43;
/** `ENOENT` (44): No such file or directory. @category constants @since 0.1.0 */
export const eNOENT: Errno = 44;
/** `ENOEXEC` (45): Exec format error. @category constants @since 0.1.0 */
export const eNOEXEC: Errno = 45;
/** `ENOLCK` (46): No locks available. @category constants @since 0.1.0 */
export const eNOLCK: Errno = 46;
/** `ENOLINK` (47): Link has been severed. @category constants @since 0.1.0 */
export const eNOLINK: Errno = 47;
/** `ENOMEM` (48): Out of memory. @category constants @since 0.1.0 */
export const eNOMEM: Errno = 48;
/** `ENOMSG` (49): No message of desired type. @category constants @since 0.1.0 */
export const eNOMSG: Errno = 49;
/** `ENOPROTOOPT` (50): Protocol not available. @category constants @since 0.1.0 */
export const eNOPROTOOPT: Errno = 50;
/** `ENOSPC` (51): No space left on device. @category constants @since 0.1.0 */
export const eNOSPC: Errno = 51;
/** `ENOSYS` (52): Function not implemented. @category constants @since 0.1.0 */
export const eNOSYS: Errno = 52;
/** `ENOTCONN` (53): Socket not connected. @category constants @since 0.1.0 */
export const eNOTCONN: Errno = 53;
/** `ENOTDIR` (54): Not a directory. @category constants @since 0.1.0 */
export const eNOTDIR: Errno = 54;
/** `ENOTEMPTY` (55): Directory not empty. @category constants @since 0.1.0 */
export const eNOTEMPTY: Errno = 55;
/** `ENOTRECOVERABLE` (56): State not recoverable. @category constants @since 0.1.0 */
export const eNOTRECOVERABLE: Errno = 56;
/** `ENOTSOCK` (57): Not a socket. @category constants @since 0.1.0 */
export const eNOTSOCK: Errno = 57;
/** `ENOTSUP` (58): Not supported. @category constants @since 0.1.0 */
export const eNOTSUP: Errno = 58;
/** `ENOTTY` (59): Not a tty. @category constants @since 0.1.0 */
export const eNOTTY: Errno = 59;
/** `ENXIO` (60): No such device or address. @category constants @since 0.1.0 */
export const eNXIO: Errno = 60;
/** `EOVERFLOW` (61): Value too large for data type. @category constants @since 0.1.0 */
export const eOVERFLOW: Errno = 61;
/** `EOWNERDEAD` (62): Previous owner died. @category constants @since 0.1.0 */
export const eOWNERDEAD: Errno = 62;
/** `EPERM` (63): Operation not permitted. @category constants @since 0.1.0 */
export const ePERM: Errno = 63;
/** `EPIPE` (64): Broken pipe. @category constants @since 0.1.0 */
export const ePIPE: Errno = 64;
/** `EPROTO` (65): Protocol error. @category constants @since 0.1.0 */
export const ePROTO: Errno = 65;
/** `EPROTONOSUPPORT` (66): Protocol not supported. @category constants @since 0.1.0 */
export const ePROTONOSUPPORT: Errno = 66;
/** `EPROTOTYPE` (67): Protocol wrong type for socket. @category constants @since 0.1.0 */
export const ePROTOTYPE: Errno = 67;
/** `ERANGE` (68): Result not representable. @category constants @since 0.1.0 */
export const eRANGE: Errno = 68;
/** `EROFS` (69): Read-only file system. @category constants @since 0.1.0 */
export const eROFS: Errno = 69;
/** `ESPIPE` (70): Invalid seek. @category constants @since 0.1.0 */
export const eSPIPE: Errno = 70;
/** `ESRCH` (71): No such process. @category constants @since 0.1.0 */
export const eSRCH: Errno = 71;
/** `ESTALE` (72): Stale file handle. @category constants @since 0.1.0 */
export const eSTALE: Errno = 72;
/** `ETIMEDOUT` (73): Operation timed out. @category constants @since 0.1.0 */
export const eTIMEDOUT: Errno = 73;
/** `ETXTBSY` (74): Text file busy. @category constants @since 0.1.0 */
export const eTXTBSY: Errno = 74;
/** `EXDEV` (75): Cross-device link. @category constants @since 0.1.0 */
export const eXDEV: Errno = 75;
/** `ENOTCAPABLE` (76): Capabilities insufficient. @category constants @since 0.1.0 */
export const eNOTCAPABLE: Errno = 76;
/** `EWOULDBLOCK`: the same value as `EAGAIN` in wasi-libc. @category constants @since 0.1.0 */
export const eWOULDBLOCK: Errno = eAGAIN;
/** `EOPNOTSUPP`: the same value as `ENOTSUP` in wasi-libc. @category constants @since 0.1.0 */
export const eOPNOTSUPP: Errno = eNOTSUP;
