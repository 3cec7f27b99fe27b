def pair_apart_rows(assembly, seq):
    return []
