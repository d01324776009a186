from tuoyu.cli import main

raise SystemExit(main())
