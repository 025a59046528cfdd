# Synchronous attractors of a .bnet network with BoolNet's SAT methods, as one JSON line.
#
#   Rscript bench/boolnet_attractors.R FILE.bnet [sat.exhaustive | sat.restricted] [MAXLEN]
#
# Prints on stdout one line
#   {"file": ..., "variables": n, "genes": [...], "method": ..., "seconds": s,
#    "attractors": [{"period": p, "states": ["0101...", ...]}, ...], "warnings": [...]}
# where "seconds" is the wall time of getAttractors() only, every state is a bit string with one
# character per gene in BoolNet's gene order ("genes": the targets in file order, then the names
# without a transition function, which loadNetwork turns into inputs x = x with a warning), and
# each attractor's states are in the order the synchronous dynamics visits them.
# States come from getAttractorSequence() (a data frame with one named column per gene), so
# BoolNet's packed encoding of involvedStates (32 genes per integer, first gene = least
# significant bit) is not decoded here.
# On failure it prints {"file": ..., "error": "...", "warnings": [...]} and exits with status 1.
# MAXLEN is maxAttractorLength (required by sat.restricted, optional for sat.exhaustive).
# No package besides BoolNet: the JSON is written by hand.

json_string <- function(x) {
  if (length(x) == 0) return(character(0))
  x <- gsub("\\", "\\\\", x, fixed = TRUE)
  x <- gsub("\"", "\\\"", x, fixed = TRUE)
  x <- gsub("\n", "\\n", x, fixed = TRUE)
  x <- gsub("\r", "\\r", x, fixed = TRUE)
  x <- gsub("\t", "\\t", x, fixed = TRUE)
  paste0("\"", x, "\"")
}

json_list <- function(items) {
  if (length(items) == 0) "[]" else paste0("[", paste(items, collapse = ", "), "]")
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1 || length(args) > 3) {
  cat("usage: Rscript boolnet_attractors.R FILE.bnet [sat.exhaustive|sat.restricted] [MAXLEN]\n",
      file = stderr())
  quit(status = 2)
}
path <- args[1]
method <- if (length(args) >= 2) args[2] else "sat.exhaustive"
max_len <- if (length(args) >= 3) as.integer(args[3]) else NA_integer_
if (!(method %in% c("sat.exhaustive", "sat.restricted"))) {
  cat("method must be sat.exhaustive or sat.restricted\n", file = stderr())
  quit(status = 2)
}
if (method == "sat.restricted" && is.na(max_len)) {
  cat("sat.restricted needs MAXLEN (maxAttractorLength)\n", file = stderr())
  quit(status = 2)
}

warnings_seen <- character(0)
collect <- function(expr) {
  withCallingHandlers(expr, warning = function(w) {
    warnings_seen <<- c(warnings_seen, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
}

fail <- function(message) {
  if (nchar(message) > 500) {
    # BoolNet puts the whole rule into its parse errors, and R cuts error messages at 8192
    # bytes, so for a long rule BoolNet's own reason is lost: keep the start and say so.
    message <- paste0(substr(message, 1, 200), " ... [", nchar(message), " characters: R cuts",
                      " error messages at 8192 bytes, the reason is cut off]")
  }
  cat(paste0("{\"file\": ", json_string(path), ", \"error\": ", json_string(message),
             ", \"warnings\": ", json_list(json_string(warnings_seen)), "}\n"))
  quit(status = 1)
}

suppressPackageStartupMessages(library(BoolNet))

net <- tryCatch(collect(loadNetwork(path)),
                error = function(e) fail(paste("loadNetwork:", conditionMessage(e))))
genes <- net$genes

started <- proc.time()[["elapsed"]]
info <- tryCatch(
  collect(if (is.na(max_len)) {
    getAttractors(net, type = "synchronous", method = method)
  } else {
    getAttractors(net, type = "synchronous", method = method, maxAttractorLength = max_len)
  }),
  error = function(e) {
    # sat.restricted stops with this error when no attractor is at most MAXLEN long: that is
    # an answer (none of that length), not a failure.
    if (method == "sat.restricted" &&
        grepl("not able to identify any attractors", conditionMessage(e), fixed = TRUE)) {
      NULL
    } else {
      fail(paste("getAttractors:", conditionMessage(e)))
    }
  })
seconds <- proc.time()[["elapsed"]] - started

attractors <- vapply(seq_along(if (is.null(info)) list() else info$attractors), function(i) {
  seq <- getAttractorSequence(info, i)
  bits <- as.matrix(seq[, genes, drop = FALSE])
  states <- apply(bits, 1, function(row) paste(as.integer(row), collapse = ""))
  paste0("{\"period\": ", nrow(bits), ", \"states\": ", json_list(json_string(states)), "}")
}, character(1))

cat(paste0(
  "{\"file\": ", json_string(path),
  ", \"variables\": ", length(genes),
  ", \"genes\": ", json_list(json_string(genes)),
  ", \"method\": ", json_string(method),
  if (is.na(max_len)) "" else paste0(", \"max_attractor_length\": ", max_len),
  ", \"seconds\": ", sprintf("%.6f", seconds),
  ", \"boolnet_version\": ", json_string(as.character(packageVersion("BoolNet"))),
  ", \"attractors\": ", json_list(attractors),
  ", \"warnings\": ", json_list(json_string(warnings_seen)),
  "}\n"))
