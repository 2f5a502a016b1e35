# Prints the nomogram that stands in for a second published table in the book's audit
# exercise (data/veteran_nomogram.csv, data/veteran_cox.csv). It is NOT a published paper:
# rms 6.5-0 fits a Cox model to survival::veteran (the Veterans' Administration lung cancer
# trial, Kalbfleisch & Prentice 1980; survival 3.5-3) and prints its nomogram as rms prints
# one (whole points, survival at the labels 0.9 ... 0.1), the way a journal's points table
# reads. Run: Rscript --vanilla scripts/veteran_nomogram.R
# tests/reference_r/test_r_veteran_nomogram.py reruns this model and checks every row of
# the two CSV files against it.
suppressPackageStartupMessages(library(rms))
d <- survival::veteran[, c("time", "status", "karno", "celltype")]
d$celltype <- factor(d$celltype, levels = c("squamous", "smallcell", "adeno", "large"))
dd <- datadist(d); options(datadist = "dd")
f <- cph(Surv(time, status) ~ karno + celltype, data = d, x = TRUE, y = TRUE, surv = TRUE)
print(f)                       # the "Coef" and "S.E." columns: data/veteran_cox.csv
print(round(exp(coef(f)), 2))  # hazard ratios to two decimals, as papers print them
S <- Survival(f)
s90 <- function(lp) S(90, lp)
s180 <- function(lp) S(180, lp)
nom <- nomogram(f, fun = list(s90, s180),
                funlabel = c("90-day survival", "180-day survival"),
                fun.at = c(0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1))
print(nom)                     # every row of data/veteran_nomogram.csv
