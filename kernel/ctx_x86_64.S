/*
 * ctx_x86_64.S - switching between process stacks on x86-64 (System V ABI).
 *
 * A switch is an ordinary function call, so the compiler has already saved
 * every register the ABI lets a call destroy. What remains are the
 * callee-saved registers -- rbx, rbp, r12-r15 -- and MXCSR, the control
 * register of the SSE unit that all float and double arithmetic uses: its
 * rounding mode and exception masks belong to each process (fesetround() in
 * one process must not change another's results). They are pushed on the
 * running stack, the stack pointer is stored, the other stack pointer is
 * loaded, and everything is popped again in reverse: the `ret` at the end
 * returns into the other context (or a jump does: see "The way back").
 * About 25 instructions, a few ns.
 *
 * Not saved: the x87 control word, which only `long double` arithmetic
 * reads. Saving it (fnstcw/fldcw) made every switch several times slower on
 * some processors, for a feature almost no program uses; a process that
 * changes the x87 precision or rounding changes it for all of them.
 *
 * The frame on a suspended stack, from the saved stack pointer up:
 *
 *     sp+0   MXCSR (4 bytes), padding
 *     sp+8   r15, r14, r13, r12, rbx, rbp
 *     sp+56  return address
 *
 * struct lc_ctx has 'sp' as its first field, so (%rdi) is from->sp.
 *
 * Two switches. lc__ctx_switch_plain() is the switch as it is explained
 * above, and as chapter 0 shows it. lc__ctx_switch(), which the kernel
 * uses, is the same switch with a faster way back (below); the two save
 * and restore the same frame, so either can resume a context the other
 * suspended (tests/kernel/check_equiv.c mixes them and compares).
 *
 * The way back. A `ret` is predicted by the CPU's return-address stack,
 * which holds the return addresses of the calls the *running* process made.
 * After a switch that guess is right only if the other process was
 * suspended at the same place (the processes of a ring all run the same
 * code); otherwise it is wrong, and a wrong guess costs a pipeline flush --
 * about as much as the rest of the switch. So the switch compares the two
 * return addresses: the same, it returns; different, it jumps to the other
 * one, a jump the CPU's indirect-branch predictor learns from the history of
 * branches that led to it.
 */
        .text

/* region: switch */
/* Save the running context on its stack: the callee-saved registers, then
 * MXCSR (4 bytes, in an 8-byte slot that keeps the stack 16-byte aligned). */
        .macro  SAVE_CONTEXT
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        .endm

/* The same, in reverse, from the stack of the context being resumed. */
        .macro  RESTORE_CONTEXT
        ldmxcsr (%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        .endm

/* void lc__ctx_switch_plain(struct lc_ctx *from, struct lc_ctx *to) */
        .globl  lc__ctx_switch_plain
        .type   lc__ctx_switch_plain, @function
        .p2align 4
lc__ctx_switch_plain:
        .cfi_startproc
        endbr64
        SAVE_CONTEXT
        movq    %rsp, (%rdi)            /* from->sp = rsp */
        movq    (%rsi), %rsp            /* rsp = to->sp */
        RESTORE_CONTEXT
        ret                             /* into 'to', where it called us */
        .cfi_endproc
        .size   lc__ctx_switch_plain, .-lc__ctx_switch_plain
/* endregion */

/* region: way-back */
/* void lc__ctx_switch(struct lc_ctx *from, struct lc_ctx *to): the same
 * switch, with the way back predicted (see the top of this file). */
        .globl  lc__ctx_switch
        .type   lc__ctx_switch, @function
        .p2align 4
lc__ctx_switch:
        .cfi_startproc
        endbr64
        SAVE_CONTEXT
        movq    56(%rsp), %rax          /* where 'from' will resume */
        movq    %rsp, (%rdi)            /* from->sp = rsp */
        movq    (%rsi), %rsp            /* rsp = to->sp */
        RESTORE_CONTEXT
        cmpq    (%rsp), %rax            /* does 'to' resume at the same place? */
        jne     1f
        ret
1:      popq    %rcx
        notrack jmp *%rcx               /* a jump, not a mispredicted return */
        .cfi_endproc
        .size   lc__ctx_switch, .-lc__ctx_switch
/* endregion */

/* void lc__ctx_restore(struct lc_ctx *to): the second half only. Used when
 * the running stack cannot be used any more (a stack overflow). */
        .globl  lc__ctx_restore
        .type   lc__ctx_restore, @function
        .p2align 4
lc__ctx_restore:
        .cfi_startproc
        endbr64
        movq    (%rdi), %rsp
        RESTORE_CONTEXT
        ret
        .cfi_endproc
        .size   lc__ctx_restore, .-lc__ctx_restore

/* No executable stack, and no claim to support shadow stacks (CET): a
 * hand-written switch changes stacks behind the shadow stack's back. */
        .section .note.GNU-stack,"",@progbits
