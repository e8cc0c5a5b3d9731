;;;; Running the suite non-interactively: FiveAM's explanation of every failure, a closing
;;;; "N passed, N failed" line counted per test, and the failure count for the exit code.

(in-package #:streamdb-tests)

(defun test-name (result)
  (fiveam::name (fiveam::test-case result)))

(defun run-suite ()
  "Run every test; return the number of failed tests (0 when all passed)."
  (format t "~&streamdb Lisp suite: seed ~D (set STREAMDB_TEST_SEED to replay), library ~A~%"
          *seed* (streamdb:load-library))
  (let* ((fiveam:*on-error* nil)
         (fiveam:*on-failure* nil)
         (results (unwind-protect (fiveam:run 'streamdb)
                    (when *scratch-root*
                      (uiop:delete-directory-tree (pathname *scratch-root*) :validate t
                                                                            :if-does-not-exist :ignore))))
         (names (remove-duplicates (mapcar #'test-name results)))
         (failed (remove-duplicates
                  (mapcar #'test-name
                          (remove-if-not (lambda (r)
                                           (or (typep r 'fiveam::test-failure)
                                               (typep r 'fiveam::test-skipped)))
                                         results)))))
    (fiveam:explain! results)
    (dolist (name failed) (format t "~&FAILED: ~(~A~)~%" name))
    (format t "~&~D checks in ~D tests~%~D passed, ~D failed~%"
            (length results) (length names) (- (length names) (length failed)) (length failed))
    (finish-output)
    (length failed)))
