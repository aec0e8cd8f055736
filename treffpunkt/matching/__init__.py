"""The matcher: "whom should I meet, and why?" from profile texts (pure Python, no Django).

Room for the engine; the web app and the command line will call it like the planner.
"""
