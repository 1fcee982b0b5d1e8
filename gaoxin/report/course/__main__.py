import sys

from gaoxin.report.course import main

if __name__ == "__main__":  # importing the module (as the import audit does) runs nothing
    raise SystemExit(main(sys.argv[1:]))
