from simulator.cli import main

main(prog_name="scimcert")
