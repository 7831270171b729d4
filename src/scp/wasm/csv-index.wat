;; Row index of one CSV body (RFC 4180 as splunkd writes it), 16 bytes at a time with WebAssembly SIMD.
;; Compiled to src/scp/wasm/csv-index-bytes.ts by scripts/build-wasm.js; read src/scp/wasm/csv-index.ts first.
;;
;; A quote toggles "inside a quoted value"; the parity after each byte is the prefix XOR of the quote bits.
;; A LF outside quotes ends a row; a comma outside quotes ends a field. Quotes are also checked locally:
;; one that opens (parity becomes odd) must follow `,` LF or `"`, one that closes must precede `,` LF CR or
;; `"`. With the parity that is exactly RFC 4180's quoting; anything else (and any CR outside quotes) sets
;; $bad, and the caller falls back to the byte-by-byte parser, which reports the error or handles the CR.
(module
  (memory (export "memory") 1)
  ;; State carried from one window of the body to the next (reset() before a body's first window).
  (global $bad (mut i32) (i32.const 0))
  (global $carry (mut i32) (i32.const 0))
  (global $prevSep (mut i32) (i32.const 1))
  (global $count (mut i32) (i32.const 0))
  (func (export "reset") (global.set $bad (i32.const 0)) (global.set $carry (i32.const 0))
    (global.set $prevSep (i32.const 1)) (global.set $count (i32.const 0)))
  (func (export "bad") (result i32) (global.get $bad))
  (func (export "inside") (result i32) (global.get $carry))

  ;; Rows ending in one window of the body, memory[0, end): `end` is a multiple of 16 except in the last
  ;; window, and memory holds the 16 bytes after `end` (the body's next bytes; after the body's last byte, a
  ;; LF when the body does not end with one, then zeros). For each row ending here, writes its end offset (the
  ;; LF's, plus `base`: offsets are the body's) at ends[i] and its comma count at commas[i] (u32 each).
  ;; Returns the number of rows, or -1 when there are more than `max`.
  (func (export "index") (param $end i32) (param $base i32) (param $ends i32) (param $commas i32) (param $max i32)
    (result i32)
    (local $p i32) (local $v v128) (local $mq i32) (local $ml i32) (local $mc i32) (local $mr i32)
    (local $x i32) (local $in i32) (local $carry i32) (local $sep i32) (local $prevSep i32) (local $nextSep i32)
    (local $nb i32) (local $out i32) (local $rowEnds i32) (local $cm i32) (local $t i32) (local $below i32)
    (local $count i32) (local $rows i32) (local $bad i32)
    (local.set $carry (global.get $carry))
    (local.set $prevSep (global.get $prevSep))
    (local.set $count (global.get $count))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load align=1 (local.get $p)))
        (local.set $mq (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))))
        (local.set $ml (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x0a)))))
        (local.set $mc (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x2c)))))
        (local.set $mr (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x0d)))))
        (if (i32.eqz (i32.or (i32.or (local.get $mq) (local.get $ml)) (local.get $mr)))
          (then
            ;; no quote, LF or CR: only commas, which count when outside quotes
            (if (i32.eqz (local.get $carry))
              (then (local.set $count (i32.add (local.get $count) (i32.popcnt (local.get $mc))))))
            (local.set $prevSep (i32.and (i32.shr_u (local.get $mc) (i32.const 15)) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $block)))
        ;; parity after each byte: prefix XOR of the quote bits, flipped when the block starts inside quotes
        (local.set $x (local.get $mq))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 1))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 2))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 4))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 8))))
        (local.set $in (i32.and (i32.xor (local.get $x) (local.get $carry)) (i32.const 0xffff)))
        (local.set $out (i32.xor (local.get $in) (i32.const 0xffff)))
        ;; local quote checks
        (local.set $sep (i32.or (i32.or (local.get $mc) (local.get $ml)) (local.get $mq)))
        (local.set $nb (i32.load8_u (i32.add (local.get $p) (i32.const 16))))
        (local.set $nextSep
          (i32.or (i32.or (i32.eq (local.get $nb) (i32.const 0x2c)) (i32.eq (local.get $nb) (i32.const 0x0a)))
                  (i32.or (i32.eq (local.get $nb) (i32.const 0x0d)) (i32.eq (local.get $nb) (i32.const 0x22)))))
        (local.set $bad
          (i32.or (local.get $bad)
            (i32.or
              ;; opening quote not after a separator
              (i32.and (i32.and (local.get $mq) (local.get $in))
                       (i32.xor (i32.or (i32.shl (local.get $sep) (i32.const 1)) (local.get $prevSep)) (i32.const -1)))
              ;; closing quote not before a separator
              (i32.and (i32.and (local.get $mq) (local.get $out))
                       (i32.xor (i32.or (i32.shr_u (i32.or (local.get $sep) (local.get $mr)) (i32.const 1))
                                        (i32.shl (local.get $nextSep) (i32.const 15)))
                                (i32.const -1))))))
        ;; a CR outside quotes: not splunkd's layout, leave it to the byte parser
        (local.set $bad (i32.or (local.get $bad) (i32.and (local.get $mr) (local.get $out))))
        (local.set $rowEnds (i32.and (local.get $ml) (local.get $out)))
        (local.set $cm (i32.and (local.get $mc) (local.get $out)))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.eqz (local.get $rowEnds)))
            (local.set $t (i32.ctz (local.get $rowEnds)))
            (local.set $below (i32.sub (i32.shl (i32.const 1) (local.get $t)) (i32.const 1)))
            (if (i32.ge_u (local.get $rows) (local.get $max)) (then (return (i32.const -1))))
            (i32.store (i32.add (local.get $ends) (i32.shl (local.get $rows) (i32.const 2)))
                       (i32.add (local.get $base) (i32.add (local.get $p) (local.get $t))))
            (i32.store (i32.add (local.get $commas) (i32.shl (local.get $rows) (i32.const 2)))
                       (i32.add (local.get $count) (i32.popcnt (i32.and (local.get $cm) (local.get $below)))))
            (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
            (local.set $count (i32.const 0))
            (local.set $cm (i32.and (local.get $cm) (i32.xor (i32.or (local.get $below) (i32.shl (i32.const 1) (local.get $t))) (i32.const -1))))
            (local.set $rowEnds (i32.and (local.get $rowEnds) (i32.sub (local.get $rowEnds) (i32.const 1))))
            (br $row)))
        (local.set $count (i32.add (local.get $count) (i32.popcnt (local.get $cm))))
        (local.set $carry (select (i32.const 0xffff) (i32.const 0) (i32.and (local.get $in) (i32.const 0x8000))))
        (local.set $prevSep (i32.and (i32.shr_u (local.get $sep) (i32.const 15)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (global.set $bad (i32.or (global.get $bad) (local.get $bad)))
    (global.set $carry (local.get $carry))
    (global.set $prevSep (local.get $prevSep))
    (global.set $count (local.get $count))
    (local.get $rows))
)
