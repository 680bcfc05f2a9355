"""`diff`: what changes between two versions of a spec, on the wire and in the generated code."""
