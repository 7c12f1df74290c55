from cadre_desk.cli import main

raise SystemExit(main())
