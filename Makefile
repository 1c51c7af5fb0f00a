.PHONY: demo test emulator
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
emulator:
	cargo run -q -p entra-invite-emulator --bin graph-emulator
