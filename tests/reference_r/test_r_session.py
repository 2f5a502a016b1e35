"""The R reference stage runs its scripts in one R session (rscript.py, worker.R): each
script must still see a new session, or a script that works only after another would pass."""

import pytest

from reference_r.rscript import run_r

WRITE = 'write_json({x}, "out.json", auto_unbox = TRUE)\n'


def test_a_script_does_not_see_the_last_ones_variables_options_seed_or_folder():
    first = run_r("leftover <- 1; options(nec_test_option = 2); set.seed(3)\n"
                  + WRITE.format(x="list(folder = basename(getwd()))") + "setwd(tempdir())\n")
    seen = run_r(WRITE.format(x='list(var = exists("leftover"), '
                                'opt = is.null(getOption("nec_test_option")), '
                                'seed = exists(".Random.seed", envir = globalenv()), '
                                'folder = basename(getwd()))'))
    assert seen["var"] is False and seen["opt"] is True and seen["seed"] is False
    assert seen["folder"].startswith("nec-r-") and seen["folder"] != first["folder"]


def test_a_package_attached_by_the_last_script_is_not_attached_for_the_next():
    run_r("suppressPackageStartupMessages(library(rms))\n" + WRITE.format(x="1"))
    with pytest.raises(AssertionError, match="could not find function \"cph\""):
        run_r('f <- cph(Surv(1:5, rep(1, 5)) ~ c(1, 0, 1, 0, 1))\n' + WRITE.format(x="1"))


def test_an_error_is_reported_with_its_message_and_the_session_goes_on():
    with pytest.raises(AssertionError, match="nec test failure"):
        run_r('stop("nec test failure")\n')
    assert run_r(WRITE.format(x="41 + 1")) == 42


def test_the_session_gives_what_a_new_rscript_gives():
    code = ("suppressPackageStartupMessages(library(survival))\nset.seed(7)\n"
            + WRITE.format(x="list(u = runif(3), fit = unname(coef(coxph(Surv(time, status) ~ "
                           "age, data = lung))))"))
    assert run_r(code) == run_r(code, fresh=True)
