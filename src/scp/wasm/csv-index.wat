;; Row index of one CSV body (RFC 4180 as splunkd writes it), 16 bytes at a time with WebAssembly SIMD, and,
;; in the same pass, which rows contain one of a set of literals (any ASCII case).
;; Compiled to csv-index-bytes.ts by scripts/build-wasm.js; read csv-index.ts first.
;;
;; Rows: a quote toggles "inside a quoted value"; the parity after each byte is the prefix XOR of the quote
;; bits. A LF outside quotes ends a row; a comma outside quotes ends a field (their offsets are listed, so a
;; row's fields are found without scanning it again). Quotes are also checked
;; locally: one that opens (parity becomes odd) must follow `,` LF or `"`, one that closes must precede `,`
;; LF CR or `"`. With the parity that is exactly RFC 4180's quoting; anything else (and any CR outside
;; quotes) sets $bad, and the caller falls back to the byte-by-byte parser, which reports or handles it.
;;
;; Literals (Teddy, as in Hyperscan and Rust's aho-corasick): each literal is in one of 8 buckets; six
;; 16-byte tables give, per nibble of a byte, the buckets whose literals can have that byte first, second or
;; third (lo/hi nibble). A position whose first three bytes pass is looked up by its first two (verify).
(module
  (memory (export "memory") 1)
  ;; State carried from one window of the body to the next (reset() before a body's first window).
  (global $bad (mut i32) (i32.const 0))
  (global $carry (mut i32) (i32.const 0))
  (global $prevSep (mut i32) (i32.const 1))
  (global $count (mut i32) (i32.const 0))
  (global $hit (mut i32) (i32.const 0))
  (func (export "reset") (global.set $bad (i32.const 0)) (global.set $carry (i32.const 0))
    (global.set $prevSep (i32.const 1)) (global.set $count (i32.const 0)) (global.set $hit (i32.const 0)))
  (func (export "bad") (result i32) (global.get $bad))
  (func (export "inside") (result i32) (global.get $carry))
  (func (export "commaCount") (result i32) (global.get $count))

  ;; Which literals start at $q. Tables at $t: +0 lo0, +16 hi0, +32 lo1, +48 hi1, +64 lo2, +80 hi2 (Teddy),
  ;; +128 per literal (offset u32, length u8, groups u8: bit 0 the first set, bit 1 the second), +65536 one u32
  ;; per first two bytes (lower case): first literal << 8 | how many. Literal bytes are lower case and compared
  ;; with ASCII letters folded; most candidates stop at the two-byte table. Returns the groups of every
  ;; literal found at $q (0: none).
  (func $verify (param $t i32) (param $q i32) (result i32)
    (local $c i32) (local $d i32) (local $e i32) (local $k i32) (local $n i32) (local $lit i32) (local $off i32)
    (local $len i32) (local $j i32) (local $found i32)
    (local.set $c (i32.load8_u (local.get $q)))
    (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x41)) (i32.const 26))
      (then (local.set $c (i32.or (local.get $c) (i32.const 0x20)))))
    (local.set $d (i32.load8_u offset=1 (local.get $q)))
    (if (i32.lt_u (i32.sub (local.get $d) (i32.const 0x41)) (i32.const 26))
      (then (local.set $d (i32.or (local.get $d) (i32.const 0x20)))))
    (local.set $e (i32.load offset=65536 (i32.add (local.get $t)
      (i32.shl (i32.or (local.get $c) (i32.shl (local.get $d) (i32.const 8))) (i32.const 2)))))
    (if (i32.eqz (local.get $e)) (then (return (i32.const 0))))
    (local.set $k (i32.shr_u (local.get $e) (i32.const 8)))
    (local.set $n (i32.add (local.get $k) (i32.and (local.get $e) (i32.const 0xff))))
    (block $none
      (loop $lits
        (br_if $none (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $lit (i32.add (local.get $t) (i32.add (i32.const 128) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $off (i32.load (local.get $lit)))
        (local.set $len (i32.load8_u offset=4 (local.get $lit)))
        (local.set $j (i32.const 2))
        (block $differs
          (loop $bytes
            (if (i32.ge_u (local.get $j) (local.get $len))
              (then
                (local.set $found (i32.or (local.get $found) (i32.load8_u offset=5 (local.get $lit))))
                (br $differs)))
            (local.set $c (i32.load8_u (i32.add (local.get $q) (local.get $j))))
            (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x41)) (i32.const 26))
              (then (local.set $c (i32.or (local.get $c) (i32.const 0x20)))))
            (br_if $differs (i32.ne (local.get $c) (i32.load8_u (i32.add (local.get $off) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $bytes)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $lits)))
    (local.get $found))

  ;; Rows ending in one window of the body, memory[0, end): `end` is a multiple of 16 except in the last
  ;; window, and memory holds the 64 bytes after `end` (the body's next bytes; after the body's last byte, a
  ;; LF when the body does not end with one, then zeros). For each row ending here, writes its end offset (the
  ;; LF's, plus `base`: offsets are the body's) at ends[i] and at commas[i] the number of commas outside quotes
  ;; in the body before that LF (u32 each), with bit 31 set when the row contains a literal of the first set
  ;; and bit 30 of the second; the offset of
  ;; each of this window's commas outside quotes goes to cpos[] (`cmax` at most). Returns the number of rows,
  ;; or -1 when more than `max` rows or `cmax` commas.
  (func (export "index") (param $end i32) (param $base i32) (param $ends i32) (param $commas i32) (param $max i32)
    (param $t i32) (param $cpos i32) (param $cmax i32) (result i32)
    (local $p i32) (local $v v128) (local $mq i32) (local $ml i32) (local $mc i32) (local $mr i32)
    (local $x i32) (local $in i32) (local $carry i32) (local $sep i32) (local $prevSep i32) (local $nextSep i32)
    (local $nb i32) (local $out i32) (local $rowEnds i32) (local $cm i32) (local $t0 i32) (local $below i32)
    (local $count i32) (local $rows i32) (local $bad i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $nib v128) (local $w v128) (local $v1 v128) (local $v2 v128)
    (local $cand i32) (local $hits i32) (local $hits2 i32) (local $i i32) (local $hit i32) (local $flag i32)
    (local $nc i32) (local $g i32) (local $cb i32) (local $at i32)
    (local.set $carry (global.get $carry))
    (local.set $prevSep (global.get $prevSep))
    (local.set $count (global.get $count))
    (local.set $hit (global.get $hit))
    (local.set $lo0 (v128.load (local.get $t)))
    (local.set $hi0 (v128.load offset=16 (local.get $t)))
    (local.set $lo1 (v128.load offset=32 (local.get $t)))
    (local.set $hi1 (v128.load offset=48 (local.get $t)))
    (local.set $lo2 (v128.load offset=64 (local.get $t)))
    (local.set $hi2 (v128.load offset=80 (local.get $t)))
    (local.set $nib (i8x16.splat (i32.const 0x0f)))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.gt_u (local.get $nc) (local.get $cmax)) (then (return (i32.const -1))))
        (local.set $v (v128.load align=1 (local.get $p)))
        ;; literals: candidate positions from the nibble tables, then compared
        (local.set $v1 (v128.load offset=1 align=1 (local.get $p)))
        (local.set $v2 (v128.load offset=2 align=1 (local.get $p)))
        (local.set $w (v128.and
          (v128.and
            (v128.and (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nib)))
                      (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $v) (i32.const 4))))
            (v128.and (i8x16.swizzle (local.get $lo1) (v128.and (local.get $v1) (local.get $nib)))
                      (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $v1) (i32.const 4)))))
          (v128.and (i8x16.swizzle (local.get $lo2) (v128.and (local.get $v2) (local.get $nib)))
                    (i8x16.swizzle (local.get $hi2) (i8x16.shr_u (local.get $v2) (i32.const 4))))))
        (local.set $hits (i32.const 0))
        (local.set $hits2 (i32.const 0))
        (if (v128.any_true (local.get $w))
          (then
            (local.set $cand (i8x16.bitmask (i8x16.ne (local.get $w) (v128.const i64x2 0 0))))
            (loop $cands
              (local.set $i (i32.ctz (local.get $cand)))
              (local.set $g (call $verify (local.get $t) (i32.add (local.get $p) (local.get $i))))
              (if (i32.and (local.get $g) (i32.const 1))
                (then (local.set $hits (i32.or (local.get $hits) (i32.shl (i32.const 1) (local.get $i))))))
              (if (i32.and (local.get $g) (i32.const 2))
                (then (local.set $hits2 (i32.or (local.get $hits2) (i32.shl (i32.const 1) (local.get $i))))))
              (local.set $cand (i32.and (local.get $cand) (i32.sub (local.get $cand) (i32.const 1))))
              (br_if $cands (local.get $cand)))))
        (local.set $mq (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))))
        (local.set $ml (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x0a)))))
        (local.set $mc (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x2c)))))
        (local.set $mr (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x0d)))))
        (if (i32.eqz (i32.or (i32.or (local.get $mq) (local.get $ml)) (local.get $mr)))
          (then
            ;; no quote, LF or CR: only commas, which count when outside quotes
            (if (i32.eqz (local.get $carry))
              (then
                (local.set $count (i32.add (local.get $count) (i32.popcnt (local.get $mc))))
                ;; list the commas (inline: a call per block costs more than the stores)
                (local.set $cb (local.get $mc))
                (local.set $at (i32.add (local.get $base) (local.get $p)))
                (block $listed
                  (loop $bit
                    (br_if $listed (i32.eqz (local.get $cb)))
                    (i32.store (i32.add (local.get $cpos) (i32.shl (local.get $nc) (i32.const 2)))
                               (i32.add (local.get $at) (i32.ctz (local.get $cb))))
                    (local.set $nc (i32.add (local.get $nc) (i32.const 1)))
                    (local.set $cb (i32.and (local.get $cb) (i32.sub (local.get $cb) (i32.const 1))))
                    (br $bit)))))
            (local.set $hit (i32.or (local.get $hit)
              (i32.or (i32.ne (local.get $hits) (i32.const 0)) (i32.shl (i32.ne (local.get $hits2) (i32.const 0)) (i32.const 1)))))
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
        (local.set $nb (i32.load8_u offset=16 (local.get $p)))
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
        (local.set $cb (local.get $cm))
        (local.set $at (i32.add (local.get $base) (local.get $p)))
        (block $listed2
          (loop $bit2
            (br_if $listed2 (i32.eqz (local.get $cb)))
            (i32.store (i32.add (local.get $cpos) (i32.shl (local.get $nc) (i32.const 2)))
                       (i32.add (local.get $at) (i32.ctz (local.get $cb))))
            (local.set $nc (i32.add (local.get $nc) (i32.const 1)))
            (local.set $cb (i32.and (local.get $cb) (i32.sub (local.get $cb) (i32.const 1))))
            (br $bit2)))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.eqz (local.get $rowEnds)))
            (local.set $t0 (i32.ctz (local.get $rowEnds)))
            (local.set $below (i32.sub (i32.shl (i32.const 1) (local.get $t0)) (i32.const 1)))
            (if (i32.ge_u (local.get $rows) (local.get $max)) (then (return (i32.const -1))))
            ;; groups seen in the row: bit 31 the first set, bit 30 the second
            (local.set $flag (i32.or
              (select (i32.const 0x80000000) (i32.const 0)
                (i32.or (i32.and (local.get $hit) (i32.const 1)) (i32.and (local.get $hits) (local.get $below))))
              (select (i32.const 0x40000000) (i32.const 0)
                (i32.or (i32.and (local.get $hit) (i32.const 2)) (i32.and (local.get $hits2) (local.get $below))))))
            (i32.store (i32.add (local.get $ends) (i32.shl (local.get $rows) (i32.const 2)))
                       (i32.add (local.get $base) (i32.add (local.get $p) (local.get $t0))))
            (i32.store (i32.add (local.get $commas) (i32.shl (local.get $rows) (i32.const 2)))
                       (i32.or (local.get $flag)
                               (i32.add (local.get $count) (i32.popcnt (i32.and (local.get $cm) (local.get $below))))))
            (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
            (local.set $hit (i32.const 0))
            (local.set $below (i32.or (local.get $below) (i32.shl (i32.const 1) (local.get $t0))))
            (local.set $hits (i32.and (local.get $hits) (i32.xor (local.get $below) (i32.const -1))))
            (local.set $hits2 (i32.and (local.get $hits2) (i32.xor (local.get $below) (i32.const -1))))
            (local.set $rowEnds (i32.and (local.get $rowEnds) (i32.sub (local.get $rowEnds) (i32.const 1))))
            (br $row)))
        (local.set $count (i32.add (local.get $count) (i32.popcnt (local.get $cm))))
        (local.set $hit (i32.or (local.get $hit)
          (i32.or (i32.ne (local.get $hits) (i32.const 0)) (i32.shl (i32.ne (local.get $hits2) (i32.const 0)) (i32.const 1)))))
        (local.set $carry (select (i32.const 0xffff) (i32.const 0) (i32.and (local.get $in) (i32.const 0x8000))))
        (local.set $prevSep (i32.and (i32.shr_u (local.get $sep) (i32.const 15)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (global.set $bad (i32.or (global.get $bad) (local.get $bad)))
    (global.set $carry (local.get $carry))
    (global.set $prevSep (local.get $prevSep))
    (global.set $count (local.get $count))
    (global.set $hit (local.get $hit))
    (local.get $rows))
)
