;;; Emacs, in batch, as an hvlint user configures it: load the configuration $HVLINT_CONFIG (the eglot
;;; snippet of docs/integrations.md), open the file $HVLINT_FILE, wait for hvlint's diagnostics to reach
;;; flymake and write them to $HVLINT_OUT, one per line: 0-based line, 0-based character column, flymake
;;; type, text. Exits 3 when eglot cannot be loaded. Batch Emacs has no command loop, so the loop below
;;; runs `post-command-hook' itself, where `eglot-ensure' and flymake wait for the first command.
(require 'package)
(unless (require 'eglot nil t)
  (package-activate-all)
  (unless (require 'eglot nil t)
    (kill-emacs 3)))
(load (getenv "HVLINT_CONFIG") nil t)
(find-file (getenv "HVLINT_FILE"))
(let ((deadline (+ (float-time) 60)))
  (while (and (< (float-time) deadline) (null (flymake-diagnostics)))
    (run-hooks 'post-command-hook)
    (accept-process-output nil 0.1)))
(let ((lines nil))
  (dolist (diagnostic (flymake-diagnostics))
    (let ((start (flymake-diagnostic-beg diagnostic)))
      (push (format "%d %d %s %s"
                    (1- (line-number-at-pos start))
                    (save-excursion (goto-char start) (- start (line-beginning-position)))
                    (flymake-diagnostic-type diagnostic)
                    (replace-regexp-in-string "\n" " " (flymake-diagnostic-text diagnostic)))
            lines)))
  (with-temp-file (getenv "HVLINT_OUT")
    (insert (mapconcat #'identity (sort lines #'string<) "\n"))))
(kill-emacs 0)
