# Entry points; the scripts install what a fresh Debian machine is missing.
.PHONY: demo test bench chaos

demo:
	@bash scripts/demo.sh

test:
	@bash scripts/test.sh

bench:
	@QUICK=$(QUICK) bash scripts/bench.sh

chaos:
	@CHAOS=$(or $(CHAOS),full) bash scripts/chaos.sh
