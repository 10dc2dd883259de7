from generator.shells.cli import main

main()
