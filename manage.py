#!/usr/bin/env python
from rxplain.manage import main

if __name__ == "__main__":
    main()
