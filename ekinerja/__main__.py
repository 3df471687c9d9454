from ekinerja.cli import main

main()
