.PHONY: demo test emulator dist dist-host install-test
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
emulator:
	cargo run -q -p entra-invite-emulator --bin graph-emulator
dist:
	bash scripts/dist.sh
dist-host:
	bash scripts/dist.sh --host
install-test:
	bash scripts/install-test.sh
