from kodaira_desktop.cli import main

raise SystemExit(main())
