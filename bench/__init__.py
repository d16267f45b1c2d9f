"""The LeadDesk benchmark suite: realistic data at 10k/100k/1M leads, the real widgets offscreen.

`make bench` (``python -m bench``) prints each figure next to a floor measured in the same
run on the same data; `make soak` (``python -m bench.soak``) hammers the 1M database.
"""
