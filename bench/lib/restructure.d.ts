/**
 * The part of restructure 3 the struct suite uses: the package ships no TypeScript types
 * (foliojs/restructure#55).
 */
declare module 'restructure' {
  export interface Stream {
    pos: number;
    readonly view: DataView;
  }
  export class EncodeStream implements Stream {
    constructor(buffer: Uint8Array);
    pos: number;
    readonly view: DataView;
  }
  export class DecodeStream implements Stream {
    constructor(buffer: Uint8Array);
    pos: number;
    readonly view: DataView;
  }
  export interface Type {
    size(value?: unknown, parent?: unknown): number;
    decode(stream: DecodeStream, parent?: unknown): unknown;
    encode(stream: EncodeStream, value: unknown, parent?: unknown): void;
  }
  export class Struct implements Type {
    constructor(fields: Record<string, Type>);
    size(value?: unknown, parent?: unknown): number;
    decode(stream: DecodeStream, parent?: unknown): any;
    encode(stream: EncodeStream, value: unknown, parent?: unknown): void;
  }
  export class Array implements Type {
    constructor(type: Type, length: number);
    size(value?: unknown, parent?: unknown): number;
    decode(stream: DecodeStream, parent?: unknown): unknown[];
    encode(stream: EncodeStream, value: unknown, parent?: unknown): void;
  }
  export class Reserved implements Type {
    constructor(type: Type, count: number);
    size(value?: unknown, parent?: unknown): number;
    decode(stream: DecodeStream, parent?: unknown): undefined;
    encode(stream: EncodeStream, value: unknown, parent?: unknown): void;
  }
  export const uint8: Type;
  export const int16le: Type;
  export const int32le: Type;
  export const floatle: Type;
  export const doublele: Type;
}
