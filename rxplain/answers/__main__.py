from rxplain.answers.cli import main

raise SystemExit(main())
