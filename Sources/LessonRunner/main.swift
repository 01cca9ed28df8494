import Foundation
import Platform

// The `lesson` command: lists lessons, runs their demos and checks the learner's exercises.
// Each lesson is its own executable beside this one; this command starts it with flags
// (see LessonProgram) and reports what it did.
exit(LessonCommand(arguments: Array(CommandLine.arguments.dropFirst())).run())
