"""The SOP core (private): reading a tracking sheet and deciding, as the article's SOP says.

vocab (words → values, negation-aware), fields (columns → fields), presets (platform
exports), settings (the 设置 table), rules (the SOP decision table: hold it beside the
article), engine (whole tables in, one result per row out), render (the one catalogue
of labels and messages, 中文/English, and one presentation of a result), replies
(话术模板), report (the reading report), context (settings, mappings, templates and
基准时间 resolved once per run), ranges (host ranges → rows), errors (the exception tree).
Imports nothing above it and no host library (tests/test_public_surface.py, test_layers.py).
"""
