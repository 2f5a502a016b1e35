# One R session for the whole R reference stage (tests/reference_r/rscript.py starts it).
#
# Loading rms takes about 2.7 s of the 3 s an `Rscript --vanilla script.R` costs, and the stage
# runs some thirty scripts. Here R starts once; each script still runs as in a new session:
# it is read from stdin as a folder name, run in that folder with its output sunk to
# stdout.txt / stderr.txt there, and afterwards the global environment (with .Random.seed), the
# options, the attached packages and the working directory are put back as they were at start,
# so a script that forgets its library() call or its set.seed() fails here as it would alone.
# Packages stay loaded (not attached): that is the time saved.
#
# Protocol: one line in (the folder), one line out: "NEC-R-DONE ok" or "NEC-R-DONE error <msg>".
local({
  start_search <- search()
  start_options <- options()
  start_wd <- getwd()
  input <- file("stdin", open = "r")
  reply <- stdout()

  reset <- function() {
    rm(list = ls(globalenv(), all.names = TRUE), envir = globalenv())
    added <- setdiff(names(options()), names(start_options))
    if (length(added)) options(stats::setNames(rep(list(NULL), length(added)), added))
    try(options(start_options), silent = TRUE)
    for (name in setdiff(search(), start_search)) {
      try(detach(name, character.only = TRUE), silent = TRUE)
    }
    setwd(start_wd)
  }

  repeat {
    folder <- readLines(input, n = 1)
    if (length(folder) == 0 || !nzchar(folder)) break
    out <- file(file.path(folder, "stdout.txt"), open = "w")
    err <- file(file.path(folder, "stderr.txt"), open = "w")
    sink(out)
    sink(err, type = "message")
    status <- tryCatch({
      setwd(folder)
      withCallingHandlers(
        source("script.R", local = globalenv(), echo = FALSE),
        warning = function(w) {
          message("Warning: ", conditionMessage(w))
          invokeRestart("muffleWarning")
        })
      "ok"
    }, error = function(e) {
      call <- conditionCall(e)
      where <- if (is.null(call)) "" else paste0(" in ", paste(deparse(call), collapse = " "))
      message("Error", where, ": ", conditionMessage(e))
      paste("error", gsub("[\r\n]+", " ", conditionMessage(e)))
    })
    sink(type = "message")
    sink()
    close(out)
    close(err)
    reset()
    cat("NEC-R-DONE ", status, "\n", sep = "", file = reply)
    flush(reply)
  }
})
