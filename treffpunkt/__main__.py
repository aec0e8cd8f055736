import sys

from treffpunkt.cli import main

sys.exit(main())
