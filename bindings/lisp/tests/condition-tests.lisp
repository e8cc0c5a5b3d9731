(in-package #:streamdb-tests)

(def-suite conditions :in streamdb)
(in-suite conditions)

(test every-error-status-has-its-own-condition-class
  (loop for (status class) in '((-1 io-error) (-2 not-found) (-3 invalid-argument)
                                (-4 internal-error) (-5 corrupted) (-6 too-large) (-7 full)
                                (-8 busy) (-9 read-only) (-10 buffer-too-small)
                                (-11 timed-out))
        do (let ((c (handler-case (streamdb::signal-status status "text") (error (e) e))))
             (is (typep c class) "~D should signal ~S" status class)
             (is (typep c 'streamdb-error))
             (is (= status (streamdb-error-status c)))
             (is (string= "text" (streamdb-error-message c))))))

(test an-unknown-status-signals-the-base-streamdb-error
  (let ((c (handler-case (streamdb::signal-status -99 "odd") (error (e) e))))
    (is (eq 'streamdb-error (type-of c)))
    (is (cl:search "odd" (princ-to-string c)))))

(test the-report-carries-the-library-message-and-the-status-name
  (with-memory-db (db)
    (let ((c (handler-case (read-document db "/nowhere") (not-found (e) e))))
      (is (typep c 'not-found))
      (is (plusp (length (streamdb-error-message c))))
      (is (cl:search "STREAMDB_ERR_NOT_FOUND" (princ-to-string c)))
      (is (cl:search (streamdb-error-message c) (princ-to-string c))))))

(test a-missing-library-is-reported-with-every-place-tried
  (let ((c (make-condition 'streamdb:library-not-found
                           :attempts '("/x/libstreamdb.so: no such file" "libstreamdb.so: nope"))))
    (is (cl:search "/x/libstreamdb.so: no such file" (princ-to-string c)))
    (is (cl:search "STREAMDB_LIBRARY" (princ-to-string c)))))
