import sys

from gaoxin.report.course import main

raise SystemExit(main(sys.argv[1:]))
