;; Histogram kernel of the `hist` tree method (hist-kernel.ts embeds the compiled bytes).
;; Rebuild: wat2wasm src/lib/gbdt/hist-kernel.wat -o /tmp/hist-kernel.wasm
;;          then paste `base64 -w0 /tmp/hist-kernel.wasm` into hist-kernel.ts (Debian: apt-get install wabt).
;;
;; build16 / build32 (hist, slots, rows, grad, hess, begin, end, d, nslots): zeroes hist (nslots
;; (g, h) pairs), then for i in [begin, end), row r = rows[i], adds the pair (grad[r], hess[r]) as
;; float64 to hist[slot] for each of the row's d slots (u16 or u32, row-major): one f64x2 add per
;; slot, four slots per step.
;; build8 (…, nslots, offs): the same with one-byte bin codes, slot = offs[f] + code (offs: i32 per
;; feature). Half the bytes per row of build16: rows of deep nodes are scattered, so each row costs
;; cache misses, and one cache line per row instead of two is what makes it faster there.
;; sub (dst, src, nslots): dst −= src, the histogram subtraction trick.
;; Arguments hist, slots/codes, rows, grad, hess, offs, dst, src are byte offsets into the imported memory.
(module
  (memory (import "env" "memory") 1)

  (func (export "build16") (param $hist i32) (param $slots i32) (param $rows i32) (param $grad i32)
        (param $hess i32) (param $begin i32) (param $end i32) (param $d i32) (param $nslots i32)
    (local $i i32) (local $r i32) (local $gh v128) (local $p i32) (local $pend i32) (local $pend4 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $e i32)
    ;; Zero the output first: hist[0 .. 2 × nslots) as float64.
    (local.set $p (local.get $hist))
    (local.set $pend (i32.add (local.get $hist) (i32.shl (local.get $nslots) (i32.const 4))))
    (block $zdone
      (loop $z
        (br_if $zdone (i32.ge_u (local.get $p) (local.get $pend)))
        (v128.store (local.get $p) (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $z)))
    (local.set $i (local.get $begin))
    (block $done
      (loop $rowloop
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $gh (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $grad) (i32.shl (local.get $r) (i32.const 2))))))
          (f64.promote_f32 (f32.load (i32.add (local.get $hess) (i32.shl (local.get $r) (i32.const 2)))))))
        (local.set $p (i32.add (local.get $slots) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 1))))
        (local.set $pend (i32.add (local.get $p) (i32.shl (local.get $d) (i32.const 1))))
        (local.set $pend4 (i32.sub (local.get $pend) (i32.shl (i32.and (local.get $d) (i32.const 3)) (i32.const 1))))
        (block $f4done
          (loop $f4
            (br_if $f4done (i32.ge_u (local.get $p) (local.get $pend4)))
            (local.set $a (i32.add (local.get $hist) (i32.shl (i32.load16_u offset=0 (local.get $p)) (i32.const 4))))
            (local.set $b (i32.add (local.get $hist) (i32.shl (i32.load16_u offset=2 (local.get $p)) (i32.const 4))))
            (local.set $c (i32.add (local.get $hist) (i32.shl (i32.load16_u offset=4 (local.get $p)) (i32.const 4))))
            (local.set $e (i32.add (local.get $hist) (i32.shl (i32.load16_u offset=6 (local.get $p)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $gh)))
            (v128.store (local.get $b) (f64x2.add (v128.load (local.get $b)) (local.get $gh)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $gh)))
            (v128.store (local.get $e) (f64x2.add (v128.load (local.get $e)) (local.get $gh)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $f4)))
        (block $f1done
          (loop $f1
            (br_if $f1done (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $a (i32.add (local.get $hist) (i32.shl (i32.load16_u (local.get $p)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $gh)))
            (local.set $p (i32.add (local.get $p) (i32.const 2)))
            (br $f1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowloop))))

  (func (export "build32") (param $hist i32) (param $slots i32) (param $rows i32) (param $grad i32)
        (param $hess i32) (param $begin i32) (param $end i32) (param $d i32) (param $nslots i32)
    (local $i i32) (local $r i32) (local $gh v128) (local $p i32) (local $pend i32) (local $a i32)
    ;; Zero the output first: hist[0 .. 2 × nslots) as float64.
    (local.set $p (local.get $hist))
    (local.set $pend (i32.add (local.get $hist) (i32.shl (local.get $nslots) (i32.const 4))))
    (block $zdone
      (loop $z
        (br_if $zdone (i32.ge_u (local.get $p) (local.get $pend)))
        (v128.store (local.get $p) (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $z)))
    (local.set $i (local.get $begin))
    (block $done
      (loop $rowloop
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $gh (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $grad) (i32.shl (local.get $r) (i32.const 2))))))
          (f64.promote_f32 (f32.load (i32.add (local.get $hess) (i32.shl (local.get $r) (i32.const 2)))))))
        (local.set $p (i32.add (local.get $slots) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 2))))
        (local.set $pend (i32.add (local.get $p) (i32.shl (local.get $d) (i32.const 2))))
        (block $f1done
          (loop $f1
            (br_if $f1done (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $a (i32.add (local.get $hist) (i32.shl (i32.load (local.get $p)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $gh)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $f1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowloop))))
  (func (export "build8") (param $hist i32) (param $codes i32) (param $rows i32) (param $grad i32)
        (param $hess i32) (param $begin i32) (param $end i32) (param $d i32) (param $nslots i32) (param $offs i32)
    (local $i i32) (local $r i32) (local $gh v128) (local $p i32) (local $pend i32) (local $pend4 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $e i32) (local $o i32)
    (local.set $p (local.get $hist))
    (local.set $pend (i32.add (local.get $hist) (i32.shl (local.get $nslots) (i32.const 4))))
    (block $zdone
      (loop $z
        (br_if $zdone (i32.ge_u (local.get $p) (local.get $pend)))
        (v128.store (local.get $p) (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $z)))
    (local.set $i (local.get $begin))
    (block $done
      (loop $rowloop
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $gh (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $grad) (i32.shl (local.get $r) (i32.const 2))))))
          (f64.promote_f32 (f32.load (i32.add (local.get $hess) (i32.shl (local.get $r) (i32.const 2)))))))
        (local.set $p (i32.add (local.get $codes) (i32.mul (local.get $r) (local.get $d))))
        (local.set $pend (i32.add (local.get $p) (local.get $d)))
        (local.set $pend4 (i32.sub (local.get $pend) (i32.and (local.get $d) (i32.const 3))))
        (local.set $o (local.get $offs))
        (block $f4done
          (loop $f4
            (br_if $f4done (i32.ge_u (local.get $p) (local.get $pend4)))
            (local.set $a (i32.add (local.get $hist) (i32.shl (i32.add (i32.load offset=0 (local.get $o)) (i32.load8_u offset=0 (local.get $p))) (i32.const 4))))
            (local.set $b (i32.add (local.get $hist) (i32.shl (i32.add (i32.load offset=4 (local.get $o)) (i32.load8_u offset=1 (local.get $p))) (i32.const 4))))
            (local.set $c (i32.add (local.get $hist) (i32.shl (i32.add (i32.load offset=8 (local.get $o)) (i32.load8_u offset=2 (local.get $p))) (i32.const 4))))
            (local.set $e (i32.add (local.get $hist) (i32.shl (i32.add (i32.load offset=12 (local.get $o)) (i32.load8_u offset=3 (local.get $p))) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $gh)))
            (v128.store (local.get $b) (f64x2.add (v128.load (local.get $b)) (local.get $gh)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $gh)))
            (v128.store (local.get $e) (f64x2.add (v128.load (local.get $e)) (local.get $gh)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $f4)))
        (block $f1done
          (loop $f1
            (br_if $f1done (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $a (i32.add (local.get $hist) (i32.shl (i32.add (i32.load (local.get $o)) (i32.load8_u (local.get $p))) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $gh)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $f1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowloop))))

  ;; sub (dst, src, nslots): dst −= src over nslots (g, h) float64 pairs — the subtraction trick.
  (func (export "sub") (param $dst i32) (param $src i32) (param $nslots i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $nslots) (i32.const 4))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f64x2.sub (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $l))))
)
