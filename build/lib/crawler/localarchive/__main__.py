import sys

from crawler.localarchive.cli import main

sys.exit(main())
