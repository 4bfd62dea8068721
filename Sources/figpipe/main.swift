import FigpipeCLI

Figpipe.main()
