"""`def` and `class` statements: making a program's functions and classes (classes.py builds
the real class; functions.py holds a function's definition)."""

from __future__ import annotations

import ast
from typing import Any

import torch

from app.engine import classes, comprehensions
from app.engine.functions import UserFunction
from app.engine.transforms import Transforms
from app.lang.errors import NotAllowed, Span


class Definitions(Transforms):
    def _exec_functiondef(self, node: ast.FunctionDef) -> None:
        # ('name', 'args', 'body', 'decorator_list', 'returns', 'type_comment')
        self.bind(node.name, self._function(node, None))

    def _function(self, node: ast.FunctionDef, owner: str | None) -> UserFunction:
        """Decorators are evaluated first, then defaults, as Python does; the language allowed
        only `@staticmethod` and torch's grad-mode decorators."""
        static, grad_mode = False, None
        for decorator in node.decorator_list:
            value = self.evaluate(decorator)
            if value is staticmethod:
                static = True
            elif isinstance(value, torch.no_grad | torch.enable_grad | torch.inference_mode):
                grad_mode = type(value)  # entered afresh at each call
            else:
                raise NotAllowed("this decorator not allowed", Span.of(decorator))
        defaults = [self.evaluate(default) for default in node.args.defaults]
        if owner is None:
            qualname = comprehensions.qualname(self, node.name)
        else:
            qualname = f"{owner}.{node.name}"
        enclosing = comprehensions.outer_of(self)
        return UserFunction(node, defaults, qualname, static, grad_mode, enclosing)

    def _exec_classdef(self, node: ast.ClassDef) -> None:
        # ('name', 'bases', 'keywords', 'body', 'decorator_list')
        bases = [self.evaluate(base) for base in node.bases]
        qualname = comprehensions.qualname(self, node.name)
        members: dict[str, Any] = {}
        methods: dict[str, UserFunction] = {}
        for statement in node.body:
            self.budget.statement(statement)
            if isinstance(statement, ast.FunctionDef):
                methods[statement.name] = self._function(statement, qualname)
                members.pop(statement.name, None)
            elif isinstance(statement, ast.Assign):
                value = self.evaluate(statement.value)
                for target in statement.targets:
                    assert isinstance(target, ast.Name)
                    members[target.id] = value
                    methods.pop(target.id, None)
        self.current = node
        try:
            made = classes.make_class(node.name, bases, members, methods, self.call_back, qualname)
        except classes.BaseNotAllowed as refused:
            raise NotAllowed(str(refused), Span.of(node)) from None
        self.bind(node.name, made)
