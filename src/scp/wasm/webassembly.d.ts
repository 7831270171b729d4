/**
 * The part of the WebAssembly JS API this project uses. TypeScript declares it only in lib.dom, which a
 * Node program should not pull in; Node has had these since v8 (SIMD, which the modules use, since v16.4).
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
