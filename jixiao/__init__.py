"""jixiao (绩效): the command line and build orchestration."""
