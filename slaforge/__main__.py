from slaforge.cli import main

main()
