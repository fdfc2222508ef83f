import sys

from crawler.extract.cli import main

sys.exit(main())
