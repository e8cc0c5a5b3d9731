;;;; One condition hierarchy for every failure the library reports. Each carries the status
;;;; code and the text of streamdb_errmsg, read on the failing thread right after the call.

(in-package #:streamdb)

(define-condition streamdb-error (error)
  ((status :initarg :status :reader streamdb-error-status
           :documentation "The negative status code the library returned.")
   (message :initarg :message :reader streamdb-error-message
            :documentation "streamdb_errmsg's text (or the binding's own explanation)."))
  (:report (lambda (c s)
             (format s "streamdb: ~A (~A ~D)"
                     (streamdb-error-message c)
                     (streamdb-error-status-name c)
                     (streamdb-error-status c)))))

(define-condition io-error (streamdb-error) ())
(define-condition not-found (streamdb-error) ())
(define-condition invalid-argument (streamdb-error) ())
(define-condition internal-error (streamdb-error) ())
(define-condition corrupted (streamdb-error) ())
(define-condition too-large (streamdb-error) ())
(define-condition full (streamdb-error) ())
(define-condition busy (streamdb-error) ())
(define-condition read-only (streamdb-error) ())
(define-condition buffer-too-small (streamdb-error) ())
(define-condition timed-out (streamdb-error) ())

(defparameter *status-classes*
  `((,+err-io+ io-error "STREAMDB_ERR_IO")
    (,+err-not-found+ not-found "STREAMDB_ERR_NOT_FOUND")
    (,+err-invalid+ invalid-argument "STREAMDB_ERR_INVALID")
    (,+err-internal+ internal-error "STREAMDB_ERR_INTERNAL")
    (,+err-corrupted+ corrupted "STREAMDB_ERR_CORRUPTED")
    (,+err-too-large+ too-large "STREAMDB_ERR_TOO_LARGE")
    (,+err-full+ full "STREAMDB_ERR_FULL")
    (,+err-busy+ busy "STREAMDB_ERR_BUSY")
    (,+err-read-only+ read-only "STREAMDB_ERR_READ_ONLY")
    (,+err-buffer-too-small+ buffer-too-small "STREAMDB_ERR_BUFFER_TOO_SMALL")
    (,+err-timeout+ timed-out "STREAMDB_ERR_TIMEOUT")))

(defun streamdb-error-status-name (condition)
  (or (third (assoc (streamdb-error-status condition) *status-classes*))
      "unknown status"))

(defun status-condition-class (status)
  (or (second (assoc status *status-classes*)) 'streamdb-error))

(defun last-error-message (status)
  "The calling thread's streamdb_errmsg, or streamdb_strerror's text when it is empty."
  (let ((text (with-foreign-guard (%errmsg-text))))
    (if (plusp (length text)) text (status-text status))))

(defun status-text (status)
  (or (ignore-errors (sdb-strerror status)) "error"))

(defun signal-status (status &optional message)
  "Signal the condition for negative STATUS with MESSAGE, or the library's last message."
  (error (status-condition-class status)
         :status status
         :message (if (and message (plusp (length message)))
                      message
                      (last-error-message status))))

(defun check-status (status &optional message)
  (if (minusp status) (signal-status status message) status))

(defmacro check (form)
  "Return the status FORM (a guarded foreign call) returns when it is not an error (OK or
DONE), else signal its condition with the message the call captured."
  `(multiple-value-call #'check-status ,form))

(defun reject (format-control &rest args)
  "Signal INVALID-ARGUMENT for bad input the binding rejects before calling the library."
  (error 'invalid-argument :status +err-invalid+
                           :message (apply #'format nil format-control args)))
