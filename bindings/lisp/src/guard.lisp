;;;; Every call into libstreamdb goes through WITH-FOREIGN-GUARD.
;;;;
;;;; SBCL and the .NET runtime share this process. SBCL runs Lisp code with the :overflow,
;;;; :invalid and :divide-by-zero traps enabled; .NET code assumes IEEE defaults (masked), so
;;;; an Inf or NaN computed inside the library would raise SIGFPE in a .NET frame and abort
;;;; the process. And an asynchronous unwind (sb-ext:with-timeout, interrupt-thread) that
;;;; lands while a .NET frame is on the stack would skip the runtime's own frame bookkeeping,
;;;; which also aborts the process. So each foreign call runs with every trap masked and with
;;;; interrupts deferred: a timeout that expires during the call fires right after it returns.

(in-package #:streamdb)

(defmacro with-foreign-guard (&body body)
  "Run BODY (foreign calls into libstreamdb) with all floating-point traps masked and
interrupts deferred until BODY returns. Keep BODY short: only the foreign call itself."
  `(sb-sys:without-interrupts
     (sb-int:with-float-traps-masked (:overflow :invalid :inexact :divide-by-zero :underflow)
       ,@body)))

(defvar *foreign-functions* '()
  "C names of every libstreamdb function this binding declares; each is reachable from Lisp
only through its guarded wrapper.")

(defmacro define-foreign (lisp-name c-name return-type &body args)
  "Declare C function C-NAME as %LISP-NAME (raw, unguarded, internal) and LISP-NAME, an
inline wrapper that makes the call inside WITH-FOREIGN-GUARD. For functions returning an
:INT status the wrapper returns a second value when the status is an error: the thread's
streamdb_errmsg, read inside the same guard so that no interrupt handler's own streamdb
call can overwrite it first."
  (let ((raw (intern (format nil "%~A" (symbol-name lisp-name)) (symbol-package lisp-name)))
        (params (mapcar #'first args)))
    `(progn
       (pushnew ,c-name *foreign-functions* :test #'string=)
       (cffi:defcfun (,c-name ,raw) ,return-type ,@args)
       (declaim (inline ,lisp-name))
       (defun ,lisp-name ,params
         (with-foreign-guard
           ,(if (eq return-type :int)
                `(let ((status (,raw ,@params)))
                   (if (minusp status)
                       (values status (%errmsg-text))
                       status))
                `(,raw ,@params)))))))
