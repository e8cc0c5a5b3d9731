;;;; Keeping SBCL's own signal handling intact once the .NET runtime has started.
;;;;
;;;; On its first call, libstreamdb's NativeAOT runtime installs handlers for SIGFPE and
;;;; SIGSEGV (for managed exceptions) and forwards signals that did not come from .NET code
;;;; to the handlers SBCL had installed, calling them directly from its own handler. SBCL
;;;; installed its handlers with its blockable signals in sa_mask and with SA_NODEFER, and
;;;; relies on both: its SIGFPE handler runs the Lisp condition handler from inside the
;;;; signal handler, which usually exits non-locally and so never returns through it.
;;;; Forwarded from .NET's handler (no such mask, no SA_NODEFER) the first float trap in
;;;; plain Lisp code, e.g. (/ 1d0 0d0), either kills the process with "fatal error:
;;;; blockables unblocked", or leaves SIGFPE blocked so that the next one kills it.
;;;; REPAIR-SIGNAL-HANDLERS keeps .NET's handlers first (so .NET's exception handling still
;;;; works) but gives them SBCL's mask and SA_NODEFER, so both runtimes' handlers run as
;;;; they expect.

(in-package #:streamdb)

;;; glibc's struct sigaction on Linux (x86-64 and arm64): the handler, a 128-byte sigset_t
;;; of which the kernel uses the first 8 bytes (signals 1..64), int flags, the restorer.
(defconstant +sigaction-size+ 152)
(defconstant +sa-mask-offset+ 8)
(defconstant +kernel-sigset-bytes+ 8)
(defconstant +sa-flags-offset+ 136)
(defconstant +sa-nodefer+ #x40000000)

(defparameter *forwarded-signals*
  (list sb-unix:sigill sb-unix:sigbus sb-unix:sigfpe sb-unix:sigsegv)
  "Synchronous signals SBCL handles that another runtime may take over.")

(defun read-sigaction (signal action)
  (zerop (cffi:foreign-funcall "sigaction" :int signal :pointer (cffi:null-pointer)
                                           :pointer action :int)))

(defun needs-repair-p (action sbcl)
  (or (loop for i from +sa-mask-offset+ below (+ +sa-mask-offset+ +kernel-sigset-bytes+)
              thereis (/= (cffi:mem-aref sbcl :uint8 i)
                          (logand (cffi:mem-aref sbcl :uint8 i) (cffi:mem-aref action :uint8 i))))
      (and (logtest +sa-nodefer+ (cffi:mem-ref sbcl :int +sa-flags-offset+))
           (not (logtest +sa-nodefer+ (cffi:mem-ref action :int +sa-flags-offset+))))))

(defun repair-signal-handlers ()
  "Give every handler of SIGILL, SIGBUS, SIGFPE and SIGSEGV SBCL's blocked-signal mask and
SA_NODEFER when it lacks them (see signals.lisp). Idempotent; LOAD-LIBRARY calls it once the
runtime has started. Code that starts libstreamdb's runtime itself (D-LISP's own raw
streamdb_init) calls it after that first call. Returns the signals it changed."
  (cffi:with-foreign-objects ((sbcl :uint8 +sigaction-size+) (action :uint8 +sigaction-size+))
    ;; SIGTRAP is SBCL's own (breakpoints) and no runtime takes it: its action shows the
    ;; mask and flags SBCL gives its handlers.
    (unless (read-sigaction sb-unix:sigtrap sbcl)
      (return-from repair-signal-handlers nil))
    (loop for signal in *forwarded-signals*
          when (and (read-sigaction signal action)
                    (not (cffi:null-pointer-p (cffi:mem-ref action :pointer 0)))
                    (needs-repair-p action sbcl))
            do (loop for i from +sa-mask-offset+ below (+ +sa-mask-offset+ +kernel-sigset-bytes+)
                     do (setf (cffi:mem-aref action :uint8 i)
                              (logior (cffi:mem-aref action :uint8 i)
                                      (cffi:mem-aref sbcl :uint8 i))))
               (setf (cffi:mem-ref action :int +sa-flags-offset+)
                     (logior (cffi:mem-ref action :int +sa-flags-offset+)
                             (logand +sa-nodefer+ (cffi:mem-ref sbcl :int +sa-flags-offset+))))
            and when (zerop (cffi:foreign-funcall "sigaction" :int signal :pointer action
                                                              :pointer (cffi:null-pointer) :int))
                  collect signal)))
