"""``counter bench``: a synthetic store database at any size and the measurements taken on it.

dataset   build (or reuse) a bench file: multilingual customers, two years of visits
workload  what a person types, letter by letter: real names, phone tails, card numbers
timing    run something many times; median and p95
measure   the domain-side measurements and their naive baselines
table     the printed result table

The Qt side (keystroke to painted rows, start-up, memory) is ``ui.bench``; it also runs the
whole benchmark, because ``counter bench`` needs both.
"""
