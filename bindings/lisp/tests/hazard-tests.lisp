;;;; SBCL and the .NET runtime in one process: the two ways that aborts the process unless
;;;; every foreign call is guarded (see src/guard.lisp), provoked on purpose.

(in-package #:streamdb-tests)

(def-suite hazards :in streamdb)
(in-suite hazards)

(defvar *sink* nil "Where results go so that the compiler keeps the computation.")

(defun current-traps () (getf (sb-int:get-floating-point-modes) :traps))

(test inside-the-guard-every-float-trap-is-masked-and-interrupts-are-deferred
  (let ((outside (current-traps)))
    (multiple-value-bind (traps interrupts)
        (with-foreign-guard (values (current-traps) sb-sys:*interrupts-enabled*))
      (is (null traps))
      (is (null interrupts)))
    (is (equal outside (current-traps)) "the guard restores the caller's traps")
    (is (subsetp '(:overflow :invalid :divide-by-zero) outside)
        "SBCL runs Lisp code with traps on (the hazard exists)")))

(defun float-bits (x)
  "The 8 bytes of double X."
  (let ((bits (logior (ash (ldb (byte 32 0) (sb-kernel:double-float-high-bits x)) 32)
                      (sb-kernel:double-float-low-bits x)))
        (v (make-array 8 :element-type '(unsigned-byte 8))))
    (dotimes (i 8 v) (setf (aref v i) (ldb (byte 8 (* 8 i)) bits)))))

(test library-calls-survive-sbcl-float-traps-with-nan-and-infinities-around-them
  ;; SBCL's traps on (set explicitly, whatever the caller had), NaN, infinities, overflow
  ;; and underflow computed between 4000 calls. Any .NET float operation (the runtime's own
  ;; included) that raised one of these would trap in a .NET frame without the guard.
  (let ((before (sb-int:get-floating-point-modes))
        (state (seeded-random-state 5))
        (mismatches 0)
        (calls 0))
    (with-scratch-db (db)
      (unwind-protect
           (progn
             (sb-int:set-floating-point-modes
              :traps '(:overflow :invalid :divide-by-zero))
             (dotimes (i 2000)
               (let* ((x (sb-int:with-float-traps-masked (:overflow :invalid :divide-by-zero
                                                          :underflow :inexact)
                           (let ((r (- (random 2d0 state) 1d0)))
                             (case (mod i 4)
                               (0 (/ r *zero*))                                   ; +/-Inf
                               (1 (- (/ 1d0 *zero*) (/ 1d0 *zero*)))                 ; NaN
                               (2 (* r 1d308 1d308))                           ; overflow
                               (t (* r 1d-308 1d-308))))))                     ; underflow
                      (bytes (float-bits x))
                      (path (format nil "/float/~D" (mod i 50))))
                 (write-document db path bytes)
                 (unless (equalp bytes (read-document db path)) (incf mismatches))
                 (when (zerop (mod i 100))
                   (stats db) (search db "/float/") (document-info db path))
                 (incf calls 2)))
             (flush db)
             (verify db))
        (sb-int:set-floating-point-modes :traps (getf before :traps))))
    (is (= 4000 calls))
    (is (zerop mismatches))
    (is (equal (getf before :traps) (current-traps)))
    (signals division-by-zero (setf *sink* (/ 1d0 *zero*))
      "after the calls, Lisp float traps work as before")))

(defparameter *big* (* 32 1024 1024))

(test a-timeout-expiring-during-a-long-call-fires-only-after-the-call-returns
  ;; The timer expires while the 32 MiB write runs inside .NET; the unwind waits for the
  ;; write to return. An attempt whose timer fired before the call even began (the thread
  ;; was descheduled) writes nothing and is retried; no attempt may leave a partial write.
  (let ((data (make-array *big* :element-type '(unsigned-byte 8) :initial-element 7))
        (fired-during-call 0)
        (partial 0))
    (with-scratch-db (db)
      (loop for attempt below 5
            for path = (format nil "/big/~D" attempt)
            until (plusp fired-during-call)
            do (let ((timed-out nil))
                 (handler-case (sb-ext:with-timeout 0.001
                                 (write-document db path data))
                   (sb-ext:timeout () (setf timed-out t)))
                 (let ((size (ignore-errors (document-info-size (document-info db path)))))
                   (cond ((and timed-out (eql size *big*)) (incf fired-during-call))
                         ((and size (/= size *big*)) (incf partial))))))
      (is (= 1 fired-during-call)
          "the timeout fired and the interrupted write was complete")
      (is (zerop partial))
      (is (eq t (verify db)) "the process and the database are fine afterwards")
      (write-document db "/after" "alive")
      (is (string= "alive" (read-document db "/after" :as :string))))))

(test a-timeout-around-many-calls-stops-between-calls-and-leaves-every-document-whole
  (let ((payload (make-array 4096 :element-type '(unsigned-byte 8) :initial-element 1))
        (started 0)
        (timed-out nil))
    (with-scratch-db (db)
      (handler-case
          (sb-ext:with-timeout 0.3
            (loop
              (let ((i started))
                (incf started)
                (write-document db (format nil "/many/~8,'0D" i) payload)
                (read-document db (format nil "/many/~8,'0D" i)))))
        (sb-ext:timeout () (setf timed-out t)))
      (is-true timed-out)
      (let ((paths (search db "/many/")))
        (is (<= (1- started) (length paths) started)
            "~D writes started, ~D present" started (length paths))
        (is (every (lambda (p) (equalp payload (read-document db p))) paths)))
      (is (eq t (verify db))))))

(test threads-writing-reading-and-collecting-garbage-at-once-all-succeed
  ;; Four Lisp threads in .NET frames at once, allocating enough to make SBCL stop the
  ;; world for GC while some are inside the library.
  (with-scratch-db (db)
    (let* ((errors 0)
           (lock (sb-thread:make-mutex))
           (threads
             (loop for n below 4
                   collect (let ((n n))
                             (sb-thread:make-thread
                              (lambda ()
                                (let ((state (seeded-random-state (+ 10 n))))
                                  (handler-case
                                      (dotimes (i 150)
                                        (let ((data (random-octets (+ 1 (random 20000 state)) state))
                                              (path (format nil "/t~D/~D" n i)))
                                          (write-document db path data)
                                          (unless (equalp data (read-document db path))
                                            (sb-thread:with-mutex (lock) (incf errors)))
                                          (make-array 100000 :element-type '(unsigned-byte 8))))
                                    (error (e)
                                      (declare (ignore e))
                                      (sb-thread:with-mutex (lock) (incf errors))))))
                              :name (format nil "writer ~D" n))))))
      (mapc #'sb-thread:join-thread threads)
      (is (zerop errors))
      (is (= 600 (length (search db "/t"))))
      (is (eq t (verify db))))))

(test interrupts-sent-to-a-thread-inside-the-library-run-between-calls
  (with-memory-db (db)
    (let* ((interrupts-run 0)
           (done nil)
           (worker (sb-thread:make-thread
                    (lambda ()
                      (loop for i from 0
                            until done
                            do (write-document db (format nil "/i/~D" (mod i 100)) "payload")
                               (read-document db (format nil "/i/~D" (mod i 100))))
                      :finished)
                    :name "interrupted worker")))
      (dotimes (k 200)
        (sb-thread:interrupt-thread worker (lambda () (incf interrupts-run)))
        (sleep 0.001))
      (sleep 0.05)
      (setf done t)
      (is (eq :finished (sb-thread:join-thread worker)))
      (is (= 200 interrupts-run))
      (is (= 100 (length (search db "/i/")))))))

(defun signals-child (mode)
  (run-child "signals-child.lisp"
             (list (format nil "STREAMDB_BINDING_DIR=~A"
                           (namestring (asdf:system-source-directory "streamdb")))
                   (format nil "STREAMDB_LIBRARY=~A" (streamdb:load-library))
                   (format nil "STREAMDB_CHILD_FILE=~A" (scratch-file "child"))
                   (format nil "STREAMDB_CHILD_MODE=~A" mode))))

(test lisp-float-traps-type-errors-and-stack-exhaustion-still-signal-after-the-runtime-starts
  (multiple-value-bind (code output) (signals-child "binding")
    (is (eql 0 code) "child exited ~A:~%~A" code output)
    (is (cl:search "ok" output))))

(test after-a-raw-streamdb-init-repair-signal-handlers-restores-lisp-float-traps
  (multiple-value-bind (code output) (signals-child "raw-then-repair")
    (is (eql 0 code) "child exited ~A:~%~A" code output)
    (is (cl:search "ok" output))))
